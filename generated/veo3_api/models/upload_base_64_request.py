from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadBase64Request")


@_attrs_define
class UploadBase64Request:
    """A file sent inline as base64.

    Attributes:
        base_64_data (str): Plain base64, or a data URL (`data:image/png;base64,...`).
        upload_path (str): Folder the file is stored under, without a leading or trailing slash.
        file_name (str | Unset): File name with its extension. Optional: kie picks a random one when omitted; the same
            name overwrites the earlier file.
    """

    base_64_data: str
    upload_path: str
    file_name: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        base_64_data = self.base_64_data

        upload_path = self.upload_path

        file_name = self.file_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base64Data": base_64_data,
                "uploadPath": upload_path,
            }
        )
        if file_name is not UNSET:
            field_dict["fileName"] = file_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base_64_data = d.pop("base64Data")

        upload_path = d.pop("uploadPath")

        file_name = d.pop("fileName", UNSET)

        upload_base_64_request = cls(
            base_64_data=base_64_data,
            upload_path=upload_path,
            file_name=file_name,
        )

        return upload_base_64_request
