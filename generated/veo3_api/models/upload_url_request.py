from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadUrlRequest")


@_attrs_define
class UploadUrlRequest:
    """A file kie downloads and stores.

    Attributes:
        file_url (str): An absolute http(s) URL with a host. The docs type these as plain strings or `uri`; the pattern
            makes malformed URLs fail validation before the request is sent.
        upload_path (str): Folder the file is stored under, without a leading or trailing slash.
        file_name (str | Unset): File name with its extension. Optional: kie picks a random one when omitted; the same
            name overwrites the earlier file.
    """

    file_url: str
    upload_path: str
    file_name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        file_url = self.file_url

        upload_path = self.upload_path

        file_name = self.file_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fileUrl": file_url,
                "uploadPath": upload_path,
            }
        )
        if file_name is not UNSET:
            field_dict["fileName"] = file_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_url = d.pop("fileUrl")

        upload_path = d.pop("uploadPath")

        file_name = d.pop("fileName", UNSET)

        upload_url_request = cls(
            file_url=file_url,
            upload_path=upload_path,
            file_name=file_name,
        )

        return upload_url_request
