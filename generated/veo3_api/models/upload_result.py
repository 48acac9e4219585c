from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadResult")


@_attrs_define
class UploadResult:
    """A stored file. kie's endpoint pages list six fields, all required (`fileName`, `filePath`, `downloadUrl`,
    `fileSize`, `mimeType`, `uploadedAt`); its quickstart shows an older shape (`fileId`, `originalName`, `fileUrl`,
    `downloadUrl`, `uploadTime`, `expiresAt`). None is required here: clients read `downloadUrl`, else `fileUrl`.
    Retention: the docs say 3 days in some versions and 24 hours in others; `x-retention-seconds` is the shorter, so
    upload just before generating.

        Attributes:
            file_name (str | Unset):
            file_path (str | Unset):
            download_url (str | Unset): Where the file is served; pass it as an `imageUrls` entry.
            file_url (str | Unset): The quickstart's name for the URL (older shape).
            file_size (int | Unset): Size in bytes.
            mime_type (str | Unset):
            uploaded_at (str | Unset): Upload time (ISO 8601; not parsed strictly).
    """

    file_name: str | Unset = UNSET
    file_path: str | Unset = UNSET
    download_url: str | Unset = UNSET
    file_url: str | Unset = UNSET
    file_size: int | Unset = UNSET
    mime_type: str | Unset = UNSET
    uploaded_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_name = self.file_name

        file_path = self.file_path

        download_url = self.download_url

        file_url = self.file_url

        file_size = self.file_size

        mime_type = self.mime_type

        uploaded_at = self.uploaded_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if file_name is not UNSET:
            field_dict["fileName"] = file_name
        if file_path is not UNSET:
            field_dict["filePath"] = file_path
        if download_url is not UNSET:
            field_dict["downloadUrl"] = download_url
        if file_url is not UNSET:
            field_dict["fileUrl"] = file_url
        if file_size is not UNSET:
            field_dict["fileSize"] = file_size
        if mime_type is not UNSET:
            field_dict["mimeType"] = mime_type
        if uploaded_at is not UNSET:
            field_dict["uploadedAt"] = uploaded_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_name = d.pop("fileName", UNSET)

        file_path = d.pop("filePath", UNSET)

        download_url = d.pop("downloadUrl", UNSET)

        file_url = d.pop("fileUrl", UNSET)

        file_size = d.pop("fileSize", UNSET)

        mime_type = d.pop("mimeType", UNSET)

        uploaded_at = d.pop("uploadedAt", UNSET)

        upload_result = cls(
            file_name=file_name,
            file_path=file_path,
            download_url=download_url,
            file_url=file_url,
            file_size=file_size,
            mime_type=mime_type,
            uploaded_at=uploaded_at,
        )

        upload_result.additional_properties = d
        return upload_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
