from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_4k_callback_info import Video4KCallbackInfo


T = TypeVar("T", bound="Video4KCallbackData")


@_attrs_define
class Video4KCallbackData:
    """4K callback data. kie's callback schema spells it in snake_case and flat (`task_id`, `result_urls`, `media_ids`,
    `image_urls`); its callbacks page in camelCase and nested (`taskId`, `info.resultUrls`, `info.imageUrls`). Both are
    accepted; one of `taskId`/`task_id` is present (not expressed as a schema rule because a top-level `anyOf` would
    hide the properties from code generators).

        Attributes:
            taskId (str | Unset):
            task_id (str | Unset):
            info (None | Unset | Video4KCallbackInfo):
            result_urls (list[str] | str | Unset): URLs, as a JSON array (callbacks page) or as a string such as
                `[http://a.mp4]` (kie's callback schema).
            media_ids (list[str] | str | Unset): URLs, as a JSON array (callbacks page) or as a string such as
                `[http://a.mp4]` (kie's callback schema).
            image_urls (list[str] | str | Unset): URLs, as a JSON array (callbacks page) or as a string such as
                `[http://a.mp4]` (kie's callback schema).
            credits_consumed (float | None | Unset): Credits the 4K job cost (optional; only kie's newest 4K callback pages
                show it, e.g. 120). The only per-task cost kie reports.
    """

    taskId: str | Unset = UNSET
    task_id: str | Unset = UNSET
    info: None | Unset | Video4KCallbackInfo = UNSET
    result_urls: list[str] | str | Unset = UNSET
    media_ids: list[str] | str | Unset = UNSET
    image_urls: list[str] | str | Unset = UNSET
    credits_consumed: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.video_4k_callback_info import Video4KCallbackInfo  # noqa: PLC0415

        taskId = self.taskId

        task_id = self.task_id

        info: dict[str, Any] | None | Unset
        if isinstance(self.info, Unset):
            info = UNSET
        elif isinstance(self.info, Video4KCallbackInfo):
            info = self.info.to_dict()
        else:
            info = self.info

        result_urls: list[str] | str | Unset
        if isinstance(self.result_urls, Unset):
            result_urls = UNSET
        elif isinstance(self.result_urls, list):
            result_urls = self.result_urls

        else:
            result_urls = self.result_urls

        media_ids: list[str] | str | Unset
        if isinstance(self.media_ids, Unset):
            media_ids = UNSET
        elif isinstance(self.media_ids, list):
            media_ids = self.media_ids

        else:
            media_ids = self.media_ids

        image_urls: list[str] | str | Unset
        if isinstance(self.image_urls, Unset):
            image_urls = UNSET
        elif isinstance(self.image_urls, list):
            image_urls = self.image_urls

        else:
            image_urls = self.image_urls

        credits_consumed: float | None | Unset
        if isinstance(self.credits_consumed, Unset):
            credits_consumed = UNSET
        else:
            credits_consumed = self.credits_consumed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if taskId is not UNSET:
            field_dict["taskId"] = taskId
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if info is not UNSET:
            field_dict["info"] = info
        if result_urls is not UNSET:
            field_dict["result_urls"] = result_urls
        if media_ids is not UNSET:
            field_dict["media_ids"] = media_ids
        if image_urls is not UNSET:
            field_dict["image_urls"] = image_urls
        if credits_consumed is not UNSET:
            field_dict["creditsConsumed"] = credits_consumed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_4k_callback_info import Video4KCallbackInfo  # noqa: PLC0415

        d = dict(src_dict)
        taskId = d.pop("taskId", UNSET)

        task_id = d.pop("task_id", UNSET)

        def _parse_info(data: object) -> None | Unset | Video4KCallbackInfo:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                info_type_0 = Video4KCallbackInfo.from_dict(data)

                return info_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Video4KCallbackInfo, data)

        info = _parse_info(d.pop("info", UNSET))

        def _parse_result_urls(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_callback_urls_type_0 = cast(list[str], data)

                return componentsschemas_callback_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        result_urls = _parse_result_urls(d.pop("result_urls", UNSET))

        def _parse_media_ids(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_callback_urls_type_0 = cast(list[str], data)

                return componentsschemas_callback_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        media_ids = _parse_media_ids(d.pop("media_ids", UNSET))

        def _parse_image_urls(data: object) -> list[str] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_callback_urls_type_0 = cast(list[str], data)

                return componentsschemas_callback_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | str | Unset, data)

        image_urls = _parse_image_urls(d.pop("image_urls", UNSET))

        def _parse_credits_consumed(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        credits_consumed = _parse_credits_consumed(d.pop("creditsConsumed", UNSET))

        video_4k_callback_data = cls(
            taskId=taskId,
            task_id=task_id,
            info=info,
            result_urls=result_urls,
            media_ids=media_ids,
            image_urls=image_urls,
            credits_consumed=credits_consumed,
        )

        video_4k_callback_data.additional_properties = d
        return video_4k_callback_data

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
