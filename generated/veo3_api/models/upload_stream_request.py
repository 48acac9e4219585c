from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="UploadStreamRequest")


@_attrs_define
class UploadStreamRequest:
    """Multipart form of a stream upload.

    Attributes:
        file (File): The file's bytes.
        upload_path (str): Folder the file is stored under, without a leading or trailing slash.
        file_name (str | Unset): File name with its extension. Optional: kie picks a random one when omitted; the same
            name overwrites the earlier file.
    """

    file: File
    upload_path: str
    file_name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        upload_path = self.upload_path

        file_name = self.file_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "file": file,
                "uploadPath": upload_path,
            }
        )
        if file_name is not UNSET:
            field_dict["fileName"] = file_name

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(("uploadPath", (None, str(self.upload_path).encode(), "text/plain")))

        if not isinstance(self.file_name, Unset):
            files.append(("fileName", (None, str(self.file_name).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        upload_path = d.pop("uploadPath")

        file_name = d.pop("fileName", UNSET)

        upload_stream_request = cls(
            file=file,
            upload_path=upload_path,
            file_name=file_name,
        )

        return upload_stream_request
