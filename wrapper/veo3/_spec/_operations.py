"""The operations the client sends, by name: one ``Operation`` (``_document``'s) each.

Everything about them is read from the spec: whether an operation is paid (``x-paid``), whether creates are
paced (``x-rate-limit``), its host (a ``servers`` entry of its own: the upload host), whether its errors come
as HTTP statuses (``x-errors: http-status``), and the generated module's name.
"""

from __future__ import annotations

from ._document import Operation

__all__ = [
    "CREDITS",
    "DETAILS",
    "DOWNLOAD_URL",
    "EXTEND",
    "GENERATE",
    "GET_4K",
    "GET_1080P",
    "UPLOAD_STREAM",
    "UPLOAD_URL",
    "Operation",
]

GENERATE = Operation("generate-veo3-1-video")
EXTEND = Operation("extend-veo3-1-video")
GET_4K = Operation("get-veo3-1-4k-video")
DETAILS = Operation("get-veo3-1-video-details")
GET_1080P = Operation("get-veo3-1-1080p-video")
CREDITS = Operation("get-account-credits")
DOWNLOAD_URL = Operation("download-url")
# kie's File Upload API, on its own host: free, so retried like reads. (Its base64 upload is in the spec,
# the simulator and the contract tests; the client sends files as multipart, which is less traffic.)
UPLOAD_STREAM = Operation("upload-file-stream")
UPLOAD_URL = Operation("upload-file-url")
