from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoCallbackInfo")


@_attrs_define
class VideoCallbackInfo:
    """Results, on success only.

    Attributes:
        result_urls (list[str] | str | Unset): URLs, as a JSON array (callbacks page) or as a string such as
            `[http://a.mp4]` (kie's callback schema).
        origin_urls (list[str] | str | Unset): URLs, as a JSON array (callbacks page) or as a string such as
            `[http://a.mp4]` (kie's callback schema).
        resolution (str | Unset):
    """

    result_urls: list[str] | str | Unset = UNSET
    origin_urls: list[str] | str | Unset = UNSET
    resolution: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result_urls: list[str] | str | Unset
        if isinstance(self.result_urls, Unset):
            result_urls = UNSET
        elif isinstance(self.result_urls, list):
            result_urls = self.result_urls

        else:
            result_urls = self.result_urls

        origin_urls: list[str] | str | Unset
        if isinstance(self.origin_urls, Unset):
            origin_urls = UNSET
        elif isinstance(self.origin_urls, list):
            origin_urls = self.origin_urls

        else:
            origin_urls = self.origin_urls

        resolution = self.resolution

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if result_urls is not UNSET:
            field_dict["resultUrls"] = result_urls
        if origin_urls is not UNSET:
            field_dict["originUrls"] = origin_urls
        if resolution is not UNSET:
            field_dict["resolution"] = resolution

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        result_urls = _parse_result_urls(d.pop("resultUrls", UNSET))

        def _parse_origin_urls(data: object) -> list[str] | str | Unset:
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

        origin_urls = _parse_origin_urls(d.pop("originUrls", UNSET))

        resolution = d.pop("resolution", UNSET)

        video_callback_info = cls(
            result_urls=result_urls,
            origin_urls=origin_urls,
            resolution=resolution,
        )

        video_callback_info.additional_properties = d
        return video_callback_info

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
