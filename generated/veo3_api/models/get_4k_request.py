from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Get4KRequest")


@_attrs_define
class Get4KRequest:
    """Body of a 4K request. The 4K job is asynchronous: repeat the call (or wait for the callback) to get the URLs.

    Attributes:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K). Its format is not
            documented; treat it as an opaque string.
        index (int | Unset): Which of the task's videos (0-based). The 4K docs state a default of 0; the 1080p docs
            state none, so the same default is assumed.
        call_back_url (str | Unset): An absolute http(s) URL with a host. The docs type these as plain strings or `uri`;
            the pattern makes malformed URLs fail validation before the request is sent.
    """

    task_id: str
    index: int | Unset = UNSET
    call_back_url: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        index = self.index

        call_back_url = self.call_back_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "taskId": task_id,
            }
        )
        if index is not UNSET:
            field_dict["index"] = index
        if call_back_url is not UNSET:
            field_dict["callBackUrl"] = call_back_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("taskId")

        index = d.pop("index", UNSET)

        call_back_url = d.pop("callBackUrl", UNSET)

        get_4k_request = cls(
            task_id=task_id,
            index=index,
            call_back_url=call_back_url,
        )

        return get_4k_request
