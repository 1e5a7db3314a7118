"""A small HTTP client written from DESIGN.md's REST API contract, on the standard
library only (urllib): JSON in and out, `Authorization: Token <key>`, multipart for
evidence files. What a third-party client of the API would write, and nothing that
knows the server's code."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import Request, urlopen

TIMEOUT = 60

TOKEN_PATH = "/api/v1/auth/token/"


@dataclass
class Answer:
    method: str
    path: str
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}: {self.body!r}"[:2000]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def _multipart(fields: dict[str, Any], files: dict[str, tuple[str, bytes, str]]):
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Api:
    """One caller of the API: anonymous, or signed in with a token."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        url = path if path.startswith("http") else self.base_url + path
        sent_headers = {"Accept": "application/json", "Accept-Language": "en"}
        data = None
        if files is not None:
            data, sent_headers["Content-Type"] = _multipart(body or {}, files)
        elif body is not None:
            data = json.dumps(body).encode()
            sent_headers["Content-Type"] = "application/json"
        if self.token:
            sent_headers["Authorization"] = f"Token {self.token}"
        sent_headers.update(headers or {})
        request = Request(url, data=data, method=method, headers=sent_headers)  # noqa: S310
        try:
            with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                status, raw = response.status, response.read()
                answer_headers = dict(response.headers.items())
        except HTTPError as error:
            status, raw = error.code, error.read()
            answer_headers = dict(error.headers.items())
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")[:500]
        return Answer(
            method,
            path,
            status,
            parsed,
            {key.lower(): value for key, value in answer_headers.items()},
        )

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs) -> Answer:
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any, **kwargs) -> Answer:
        return self.request("PATCH", path, body, **kwargs)

    def put(self, path: str, body: Any, **kwargs) -> Answer:
        return self.request("PUT", path, body, **kwargs)

    def delete(self, path: str, **kwargs) -> Answer:
        return self.request("DELETE", path, **kwargs)

    def signed_in(self, email: str, password: str) -> Api:
        """Another client, signed in with a token from POST /api/v1/auth/token/."""
        answer = self.post(TOKEN_PATH, {"email": email, "password": password})
        assert answer.status == 200, str(answer)
        assert isinstance(answer.body.get("token"), str), str(answer)
        return Api(self.base_url, answer.body["token"])

    def every(self, path: str) -> list[Any]:
        """Every row of a paginated list ({"count", "next", "previous", "results"})."""
        rows: list[Any] = []
        url: str | None = path
        for _ in range(1000):
            if url is None:
                return rows
            answer = expect(self.get(url), 200)
            page = answer.body
            assert set(page) >= {"count", "next", "previous", "results"}, str(answer)
            rows.extend(page["results"])
            url = page["next"] and urljoin(self.base_url + "/", page["next"])
        raise AssertionError(f"{path}: more than 1000 pages")


def expect(answer: Answer, *statuses: int) -> Answer:
    """The answer, after checking its status (any 2xx when none is given)."""
    if statuses:
        assert answer.status in statuses, str(answer)
    else:
        assert 200 <= answer.status < 300, str(answer)
    return answer


def canonical_digest(snapshot: Any) -> str:
    """DESIGN.md: hex SHA-256 of the snapshot as canonical JSON (UTF-8, keys sorted,
    separators `,` and `:`, no extra white space)."""
    text = json.dumps(
        snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_dicts(value: Any, key: str) -> list[dict]:
    """Every object anywhere inside `value` that has `key`."""
    found: list[dict] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def strings_in(value: Any) -> set[str]:
    """Every string anywhere inside `value`."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def id_of(value: Any) -> int:
    """An object named by integer id, or an id itself."""
    if isinstance(value, dict):
        value = value["id"]
    assert isinstance(value, int), value
    return value


def small_pdf() -> bytes:
    """A valid one-page PDF (with a correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return out
