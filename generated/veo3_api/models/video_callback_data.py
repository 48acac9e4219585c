from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_callback_data_prompt_json_type_0 import (
        VideoCallbackDataPromptJsonType0,
    )
    from ..models.video_callback_info import VideoCallbackInfo


T = TypeVar("T", bound="VideoCallbackData")


@_attrs_define
class VideoCallbackData:
    """
    Attributes:
        task_id (str):
        info (None | Unset | VideoCallbackInfo):
        fallback_flag (bool | Unset):
        prompt_json (str | Unset | VideoCallbackDataPromptJsonType0): The request, as an object or as a JSON-encoded
            string (both appear in the docs).
    """

    task_id: str
    info: None | Unset | VideoCallbackInfo = UNSET
    fallback_flag: bool | Unset = UNSET
    prompt_json: str | Unset | VideoCallbackDataPromptJsonType0 = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.video_callback_data_prompt_json_type_0 import (
            VideoCallbackDataPromptJsonType0,  # noqa: PLC0415
        )
        from ..models.video_callback_info import VideoCallbackInfo  # noqa: PLC0415

        task_id = self.task_id

        info: dict[str, Any] | None | Unset
        if isinstance(self.info, Unset):
            info = UNSET
        elif isinstance(self.info, VideoCallbackInfo):
            info = self.info.to_dict()
        else:
            info = self.info

        fallback_flag = self.fallback_flag

        prompt_json: dict[str, Any] | str | Unset
        if isinstance(self.prompt_json, Unset):
            prompt_json = UNSET
        elif isinstance(self.prompt_json, VideoCallbackDataPromptJsonType0):
            prompt_json = self.prompt_json.to_dict()
        else:
            prompt_json = self.prompt_json

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taskId": task_id,
            }
        )
        if info is not UNSET:
            field_dict["info"] = info
        if fallback_flag is not UNSET:
            field_dict["fallbackFlag"] = fallback_flag
        if prompt_json is not UNSET:
            field_dict["promptJson"] = prompt_json

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_callback_data_prompt_json_type_0 import (
            VideoCallbackDataPromptJsonType0,  # noqa: PLC0415
        )
        from ..models.video_callback_info import VideoCallbackInfo  # noqa: PLC0415

        d = dict(src_dict)
        task_id = d.pop("taskId")

        def _parse_info(data: object) -> None | Unset | VideoCallbackInfo:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                info_type_0 = VideoCallbackInfo.from_dict(data)

                return info_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoCallbackInfo, data)

        info = _parse_info(d.pop("info", UNSET))

        fallback_flag = d.pop("fallbackFlag", UNSET)

        def _parse_prompt_json(data: object) -> str | Unset | VideoCallbackDataPromptJsonType0:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prompt_json_type_0 = VideoCallbackDataPromptJsonType0.from_dict(data)

                return prompt_json_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | Unset | VideoCallbackDataPromptJsonType0, data)

        prompt_json = _parse_prompt_json(d.pop("promptJson", UNSET))

        video_callback_data = cls(
            task_id=task_id,
            info=info,
            fallback_flag=fallback_flag,
            prompt_json=prompt_json,
        )

        video_callback_data.additional_properties = d
        return video_callback_data

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
