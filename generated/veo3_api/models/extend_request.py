from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.extend_model import ExtendModel
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtendRequest")


@_attrs_define
class ExtendRequest:
    """Body of an extension request: continue an existing, successful Veo 3.1 video with a new prompt. A video that went
    through 1080p generation cannot be extended.

        Attributes:
            task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K). Its format is not
                documented; treat it as an opaque string.
            prompt (str): Text prompt. Must contain at least one non-blank character. The docs state no maximum length, so
                none is enforced here.
            seeds (int | Unset): Random seed, 10000-99999 inclusive. The same seed gives similar output; omit it to let the
                service choose.
            watermark (str | Unset): Text watermark added to the video when set.
            call_back_url (str | Unset): An absolute http(s) URL with a host. The docs type these as plain strings or `uri`;
                the pattern makes malformed URLs fail validation before the request is sent.
            model (ExtendModel | Unset): Model for an extension. Note the names differ from generate's (`fast`, not
                `veo3_fast`); `lite` appears in the newest docs only.
    """

    task_id: str
    prompt: str
    seeds: int | Unset = UNSET
    watermark: str | Unset = UNSET
    call_back_url: str | Unset = UNSET
    model: ExtendModel | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        prompt = self.prompt

        seeds = self.seeds

        watermark = self.watermark

        call_back_url = self.call_back_url

        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "taskId": task_id,
                "prompt": prompt,
            }
        )
        if seeds is not UNSET:
            field_dict["seeds"] = seeds
        if watermark is not UNSET:
            field_dict["watermark"] = watermark
        if call_back_url is not UNSET:
            field_dict["callBackUrl"] = call_back_url
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("taskId")

        prompt = d.pop("prompt")

        seeds = d.pop("seeds", UNSET)

        watermark = d.pop("watermark", UNSET)

        call_back_url = d.pop("callBackUrl", UNSET)

        _model = d.pop("model", UNSET)
        model: ExtendModel | Unset
        if isinstance(_model, Unset):
            model = UNSET
        else:
            model = ExtendModel(_model)

        extend_request = cls(
            task_id=task_id,
            prompt=prompt,
            seeds=seeds,
            watermark=watermark,
            call_back_url=call_back_url,
            model=model,
        )

        return extend_request
