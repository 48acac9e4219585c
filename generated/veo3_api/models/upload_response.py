from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upload_code import UploadCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadResponse")


@_attrs_define
class UploadResponse:
    """Envelope of the File Upload API (not the Veo envelope): `success` and `code` 200 with `data` on success.

    Attributes:
        code (UploadCode): Result code of an upload; it mirrors the HTTP status.
        msg (str):
        success (bool | Unset):
        data (Any | None | Unset):
    """

    code: UploadCode
    msg: str
    success: bool | Unset = UNSET
    data: Any | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        msg = self.msg

        success = self.success

        data: Any | None | Unset
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
        if success is not UNSET:
            field_dict["success"] = success
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = UploadCode(d.pop("code"))

        msg = d.pop("msg")

        success = d.pop("success", UNSET)

        def _parse_data(data: object) -> Any | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Any | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        upload_response = cls(
            code=code,
            msg=msg,
            success=success,
            data=data,
        )

        upload_response.additional_properties = d
        return upload_response

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
