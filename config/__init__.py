import os

# One BLAS thread: the judges' effects (results.computing) are solved the same way,
# to the same floats, on every machine and in every process, and a small solve is
# not slowed by threads competing with the web workers for the cores. Set before
# NumPy is first imported (every entry point imports this package first).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from config.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
