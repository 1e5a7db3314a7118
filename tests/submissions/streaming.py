"""A multipart body generated while it is read, to upload big files without holding
them in memory on the client's side (Django's test client builds bodies in memory)."""

from __future__ import annotations

BOUNDARY = "----inovasi-stream-boundary"


class MultipartStream:
    """Form fields, then one file: `head` followed by `size` zero bytes."""

    def __init__(
        self,
        *,
        fields: dict[str, str],
        file_field: str,
        filename: str,
        content_type: str,
        head: bytes,
        size: int,
    ):
        pre = b""
        for name, value in fields.items():
            pre += (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n"
            ).encode()
        pre += (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{file_field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode() + head
        self._pre = pre
        self._padding = size
        self._post = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(pre) + size + len(self._post)
        self.file_size = len(head) + size
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.length - self._pos
        end = min(self._pos + size, self.length)
        out = bytearray()
        pre_end = len(self._pre)
        pad_end = pre_end + self._padding
        pos = self._pos
        if pos < pre_end and pos < end:
            stop = min(end, pre_end)
            out += self._pre[pos:stop]
            pos = stop
        if pre_end <= pos < pad_end and pos < end:
            stop = min(end, pad_end)
            out += bytes(stop - pos)
            pos = stop
        if pos >= pad_end and pos < end:
            out += self._post[pos - pad_end : end - pad_end]
            pos = end
        self._pos = pos
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        raise NotImplementedError("multipart bodies are read in chunks")


def streamed_post(client, path: str, body: MultipartStream):
    """POST the body through the test client's handler, in-process, chunk by chunk."""
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        QUERY_STRING="",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )
