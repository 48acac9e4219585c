from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Video4K")


@_attrs_define
class Video4K:
    """A 4K job. Both lists are null until the 4K video exists; `imageUrls` are preview images.

    Attributes:
        task_id (str | Unset):
        result_urls (list[str] | None | Unset):
        image_urls (list[str] | None | Unset):
    """

    task_id: str | Unset = UNSET
    result_urls: list[str] | None | Unset = UNSET
    image_urls: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        result_urls: list[str] | None | Unset
        if isinstance(self.result_urls, Unset):
            result_urls = UNSET
        elif isinstance(self.result_urls, list):
            result_urls = self.result_urls

        else:
            result_urls = self.result_urls

        image_urls: list[str] | None | Unset
        if isinstance(self.image_urls, Unset):
            image_urls = UNSET
        elif isinstance(self.image_urls, list):
            image_urls = self.image_urls

        else:
            image_urls = self.image_urls

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if task_id is not UNSET:
            field_dict["taskId"] = task_id
        if result_urls is not UNSET:
            field_dict["resultUrls"] = result_urls
        if image_urls is not UNSET:
            field_dict["imageUrls"] = image_urls

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("taskId", UNSET)

        def _parse_result_urls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                result_urls_type_0 = cast(list[str], data)

                return result_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        result_urls = _parse_result_urls(d.pop("resultUrls", UNSET))

        def _parse_image_urls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                image_urls_type_0 = cast(list[str], data)

                return image_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        image_urls = _parse_image_urls(d.pop("imageUrls", UNSET))

        video_4k = cls(
            task_id=task_id,
            result_urls=result_urls,
            image_urls=image_urls,
        )

        video_4k.additional_properties = d
        return video_4k

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
