from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_4k_code import Video4KCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_4k import Video4K


T = TypeVar("T", bound="Video4KResponse")


@_attrs_define
class Video4KResponse:
    """Envelope of get-4k-video; `data` is also set on the two 422 progress answers.

    Attributes:
        code (Video4KCode): In-band result code of get-4k-video. 422 also carries two non-error answers: '4k is
            processing...' and 'The video has been generated successfully' (with the URLs in `data`). 402 (insufficient
            credits) and 505 (feature disabled) are not in the 4K page's list but are in kie's common error list and the 4K
            job is paid (about twice a Fast generation), so a server may send them; listed so that conformance does not flag
            them.
        msg (str): `success` or the error message.
        data (None | Unset | Video4K):
    """

    code: Video4KCode
    msg: str
    data: None | Unset | Video4K = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.video_4k import Video4K  # noqa: PLC0415

        code = self.code.value

        msg = self.msg

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, Video4K):
            data = self.data.to_dict()
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
        from ..models.video_4k import Video4K  # noqa: PLC0415

        d = dict(src_dict)
        code = Video4KCode(d.pop("code"))

        msg = d.pop("msg")

        def _parse_data(data: object) -> None | Unset | Video4K:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = Video4K.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Video4K, data)

        data = _parse_data(d.pop("data", UNSET))

        video_4k_response = cls(
            code=code,
            msg=msg,
            data=data,
        )

        video_4k_response.additional_properties = d
        return video_4k_response

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
