from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.video_generated_callback_code import VideoGeneratedCallbackCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_callback_data import VideoCallbackData


T = TypeVar("T", bound="VideoGeneratedCallback")


@_attrs_define
class VideoGeneratedCallback:
    """POSTed to `callBackUrl` when a generation ends, successfully or not.

    Attributes:
        code (VideoGeneratedCallbackCode): 200 success; 400 content policy or image problem; 422 refused by the upstream
            model; 500 internal error or timeout; 501 generation failed.
        msg (str):
        data (None | Unset | VideoCallbackData):
    """

    code: VideoGeneratedCallbackCode
    msg: str
    data: None | Unset | VideoCallbackData = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.video_callback_data import VideoCallbackData  # noqa: PLC0415

        code = self.code.value

        msg = self.msg

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, VideoCallbackData):
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
        from ..models.video_callback_data import VideoCallbackData  # noqa: PLC0415

        d = dict(src_dict)
        code = VideoGeneratedCallbackCode(d.pop("code"))

        msg = d.pop("msg")

        def _parse_data(data: object) -> None | Unset | VideoCallbackData:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = VideoCallbackData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoCallbackData, data)

        data = _parse_data(d.pop("data", UNSET))

        video_generated_callback = cls(
            code=code,
            msg=msg,
            data=data,
        )

        video_generated_callback.additional_properties = d
        return video_generated_callback

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
