from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.success_flag import SuccessFlag
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_result import TaskResult


T = TypeVar("T", bound="TaskDetails")


@_attrs_define
class TaskDetails:
    """State of any Veo 3.1 task (generation, extension, 1080p or 4K). This endpoint is the final authority on a task's
    state.

        Attributes:
            task_id (str):
            success_flag (SuccessFlag): 0 generating, 1 success, 2 failed before completion, 3 generation failed upstream.
                kie's schema enum lists only 0-2, but every description documents 3, so 3 is included. Clients must tolerate
                values not listed here.
            param_json (None | str | Unset): The request parameters, JSON-encoded (kie stores the watermark as `waterMark`).
            complete_time (float | None | str | Unset): A time. Older docs type it as a date-time string (with non-ISO
                examples such as `2025-06-06 10:30:00`), the newest as a number; both are accepted.
            create_time (float | None | str | Unset): A time. Older docs type it as a date-time string (with non-ISO
                examples such as `2025-06-06 10:30:00`), the newest as a number; both are accepted.
            response (None | TaskResult | Unset):
            error_code (int | None | str | Unset): On failure: 400 content policy, 500 internal error or timeout, 501
                generation failed. Documented as an integer; some clients have seen strings, so both are accepted.
            error_message (None | str | Unset):
            fallback_flag (bool | None | Unset): Legacy: the backup model produced the video.
    """

    task_id: str
    success_flag: SuccessFlag
    param_json: None | str | Unset = UNSET
    complete_time: float | None | str | Unset = UNSET
    create_time: float | None | str | Unset = UNSET
    response: None | TaskResult | Unset = UNSET
    error_code: int | None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    fallback_flag: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_result import TaskResult  # noqa: PLC0415

        task_id = self.task_id

        success_flag = self.success_flag.value

        param_json: None | str | Unset
        if isinstance(self.param_json, Unset):
            param_json = UNSET
        else:
            param_json = self.param_json

        complete_time: float | None | str | Unset
        if isinstance(self.complete_time, Unset):
            complete_time = UNSET
        else:
            complete_time = self.complete_time

        create_time: float | None | str | Unset
        if isinstance(self.create_time, Unset):
            create_time = UNSET
        else:
            create_time = self.create_time

        response: dict[str, Any] | None | Unset
        if isinstance(self.response, Unset):
            response = UNSET
        elif isinstance(self.response, TaskResult):
            response = self.response.to_dict()
        else:
            response = self.response

        error_code: int | None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        fallback_flag: bool | None | Unset
        if isinstance(self.fallback_flag, Unset):
            fallback_flag = UNSET
        else:
            fallback_flag = self.fallback_flag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taskId": task_id,
                "successFlag": success_flag,
            }
        )
        if param_json is not UNSET:
            field_dict["paramJson"] = param_json
        if complete_time is not UNSET:
            field_dict["completeTime"] = complete_time
        if create_time is not UNSET:
            field_dict["createTime"] = create_time
        if response is not UNSET:
            field_dict["response"] = response
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if fallback_flag is not UNSET:
            field_dict["fallbackFlag"] = fallback_flag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_result import TaskResult  # noqa: PLC0415

        d = dict(src_dict)
        task_id = d.pop("taskId")

        success_flag = SuccessFlag(d.pop("successFlag"))

        def _parse_param_json(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        param_json = _parse_param_json(d.pop("paramJson", UNSET))

        def _parse_complete_time(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        complete_time = _parse_complete_time(d.pop("completeTime", UNSET))

        def _parse_create_time(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        create_time = _parse_create_time(d.pop("createTime", UNSET))

        def _parse_response(data: object) -> None | TaskResult | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_type_0 = TaskResult.from_dict(data)

                return response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskResult | Unset, data)

        response = _parse_response(d.pop("response", UNSET))

        def _parse_error_code(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        error_code = _parse_error_code(d.pop("errorCode", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("errorMessage", UNSET))

        def _parse_fallback_flag(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        fallback_flag = _parse_fallback_flag(d.pop("fallbackFlag", UNSET))

        task_details = cls(
            task_id=task_id,
            success_flag=success_flag,
            param_json=param_json,
            complete_time=complete_time,
            create_time=create_time,
            response=response,
            error_code=error_code,
            error_message=error_message,
            fallback_flag=fallback_flag,
        )

        task_details.additional_properties = d
        return task_details

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
