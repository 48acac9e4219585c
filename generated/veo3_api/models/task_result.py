from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskResult")


@_attrs_define
class TaskResult:
    """The task's result once it has one.

    Attributes:
        task_id (str | Unset):
        result_urls (list[str] | None | Unset):
        full_result_urls (list[str] | None | Unset): The whole concatenated video after an extension. The newest docs
            mark it required, but ordinary generation tasks have nothing to put there, so it is optional here.
        origin_urls (list[str] | None | Unset): Original-size videos; only filled when the aspect ratio is not 16:9.
        resolution (None | str | Unset):
    """

    task_id: str | Unset = UNSET
    result_urls: list[str] | None | Unset = UNSET
    full_result_urls: list[str] | None | Unset = UNSET
    origin_urls: list[str] | None | Unset = UNSET
    resolution: None | str | Unset = UNSET
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

        full_result_urls: list[str] | None | Unset
        if isinstance(self.full_result_urls, Unset):
            full_result_urls = UNSET
        elif isinstance(self.full_result_urls, list):
            full_result_urls = self.full_result_urls

        else:
            full_result_urls = self.full_result_urls

        origin_urls: list[str] | None | Unset
        if isinstance(self.origin_urls, Unset):
            origin_urls = UNSET
        elif isinstance(self.origin_urls, list):
            origin_urls = self.origin_urls

        else:
            origin_urls = self.origin_urls

        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        else:
            resolution = self.resolution

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if task_id is not UNSET:
            field_dict["taskId"] = task_id
        if result_urls is not UNSET:
            field_dict["resultUrls"] = result_urls
        if full_result_urls is not UNSET:
            field_dict["fullResultUrls"] = full_result_urls
        if origin_urls is not UNSET:
            field_dict["originUrls"] = origin_urls
        if resolution is not UNSET:
            field_dict["resolution"] = resolution

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

        def _parse_full_result_urls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                full_result_urls_type_0 = cast(list[str], data)

                return full_result_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        full_result_urls = _parse_full_result_urls(d.pop("fullResultUrls", UNSET))

        def _parse_origin_urls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                origin_urls_type_0 = cast(list[str], data)

                return origin_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        origin_urls = _parse_origin_urls(d.pop("originUrls", UNSET))

        def _parse_resolution(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        task_result = cls(
            task_id=task_id,
            result_urls=result_urls,
            full_result_urls=full_result_urls,
            origin_urls=origin_urls,
            resolution=resolution,
        )

        task_result.additional_properties = d
        return task_result

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
