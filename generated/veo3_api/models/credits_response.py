from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.credits_code import CreditsCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreditsResponse")


@_attrs_define
class CreditsResponse:
    """Envelope of the credit query.

    Attributes:
        code (CreditsCode): In-band result code of the credit query.
        msg (str): `success` or the error message.
        data (float | None | Unset): Remaining credits (an integer in the docs; some clients have seen fractions).
    """

    code: CreditsCode
    msg: str
    data: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        msg = self.msg

        data: float | None | Unset
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
        code = CreditsCode(d.pop("code"))

        msg = d.pop("msg")

        def _parse_data(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        credits_response = cls(
            code=code,
            msg=msg,
            data=data,
        )

        credits_response.additional_properties = d
        return credits_response

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
