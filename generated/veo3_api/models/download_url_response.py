from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.download_url_code import DownloadUrlCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="DownloadUrlResponse")


@_attrs_define
class DownloadUrlResponse:
    """Envelope of download-url.

    Attributes:
        code (DownloadUrlCode): In-band result code of download-url (422: external URL).
        msg (str): `success` or the error message.
        data (None | str | Unset): A download link valid for 20 minutes.
    """

    code: DownloadUrlCode
    msg: str
    data: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        msg = self.msg

        data: None | str | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        else:
            data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "msg": msg,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = DownloadUrlCode(d.pop("code"))

        msg = d.pop("msg")

        def _parse_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        download_url_response = cls(
            code=code,
            msg=msg,
            data=data,
        )

        download_url_response.additional_properties = d
        return download_url_response

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
