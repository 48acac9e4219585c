from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.aspect_ratio import AspectRatio
from ..models.generate_model import GenerateModel
from ..models.generation_type import GenerationType
from ..models.resolution import Resolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateRequest")


@_attrs_define
class GenerateRequest:
    """Body of a generation request. Field spellings follow the Veo 3.1 docs (`aspect_ratio` in snake_case; the older
    `aspectRatio` spelling is not accepted). Unknown fields are refused rather than silently ignored, so a misspelt
    option fails before any credits are spent.

        Attributes:
            prompt (str): Text prompt. Must contain at least one non-blank character. The docs state no maximum length, so
                none is enforced here.
            image_urls (list[str] | Unset): Reference or frame images. One image: the video unfolds around it; two: first
                and last frame; `REFERENCE_2_VIDEO` takes up to 3. The docs give no schema maximum; 3 is the largest count any
                mode accepts.
            model (GenerateModel | Unset): `veo3` = Veo 3.1 Quality, `veo3_fast` = Veo 3.1 Fast (default since the Veo 3.1
                docs), `veo3_lite` = Veo 3.1 Lite (newest docs only).
            generation_type (GenerationType | Unset): Generation mode. When omitted the service decides from whether
                `imageUrls` is present. `REFERENCE_2_VIDEO` takes 1-3 images; doc versions disagree on which models and aspect
                ratios it allows (Fast only; Fast and Lite; 16:9 only or both), so the spec does not encode that restriction and
                leaves it to the server.
            aspect_ratio (AspectRatio | Unset): Output aspect ratio. `Auto` centre-crops to whichever of 16:9 or 9:16 the
                uploaded image is closer to.
            resolution (Resolution | Unset): Output resolution (newest docs only). The separate 1080p and 4K endpoints
                remain the documented way to upgrade an existing video.
            seeds (int | Unset): Random seed, 10000-99999 inclusive. The same seed gives similar output; omit it to let the
                service choose.
            call_back_url (str | Unset): An absolute http(s) URL with a host. The docs type these as plain strings or `uri`;
                the pattern makes malformed URLs fail validation before the request is sent.
            enable_fallback (bool | Unset): Deprecated by kie; kept so old payloads validate. Default: False.
            enable_translation (bool | Unset): Translate the prompt to English before generation. Default: True.
            watermark (str | Unset): Text watermark added to the video when set.
    """

    prompt: str
    image_urls: list[str] | Unset = UNSET
    model: GenerateModel | Unset = UNSET
    generation_type: GenerationType | Unset = UNSET
    aspect_ratio: AspectRatio | Unset = UNSET
    resolution: Resolution | Unset = UNSET
    seeds: int | Unset = UNSET
    call_back_url: str | Unset = UNSET
    enable_fallback: bool | Unset = False
    enable_translation: bool | Unset = True
    watermark: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        image_urls: list[str] | Unset = UNSET
        if not isinstance(self.image_urls, Unset):
            image_urls = self.image_urls

        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        generation_type: str | Unset = UNSET
        if not isinstance(self.generation_type, Unset):
            generation_type = self.generation_type.value

        aspect_ratio: str | Unset = UNSET
        if not isinstance(self.aspect_ratio, Unset):
            aspect_ratio = self.aspect_ratio.value

        resolution: str | Unset = UNSET
        if not isinstance(self.resolution, Unset):
            resolution = self.resolution.value

        seeds = self.seeds

        call_back_url = self.call_back_url

        enable_fallback = self.enable_fallback

        enable_translation = self.enable_translation

        watermark = self.watermark

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if image_urls is not UNSET:
            field_dict["imageUrls"] = image_urls
        if model is not UNSET:
            field_dict["model"] = model
        if generation_type is not UNSET:
            field_dict["generationType"] = generation_type
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if seeds is not UNSET:
            field_dict["seeds"] = seeds
        if call_back_url is not UNSET:
            field_dict["callBackUrl"] = call_back_url
        if enable_fallback is not UNSET:
            field_dict["enableFallback"] = enable_fallback
        if enable_translation is not UNSET:
            field_dict["enableTranslation"] = enable_translation
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        image_urls = cast(list[str], d.pop("imageUrls", UNSET))

        _model = d.pop("model", UNSET)
        model: GenerateModel | Unset
        if isinstance(_model, Unset):
            model = UNSET
        else:
            model = GenerateModel(_model)

        _generation_type = d.pop("generationType", UNSET)
        generation_type: GenerationType | Unset
        if isinstance(_generation_type, Unset):
            generation_type = UNSET
        else:
            generation_type = GenerationType(_generation_type)

        _aspect_ratio = d.pop("aspect_ratio", UNSET)
        aspect_ratio: AspectRatio | Unset
        if isinstance(_aspect_ratio, Unset):
            aspect_ratio = UNSET
        else:
            aspect_ratio = AspectRatio(_aspect_ratio)

        _resolution = d.pop("resolution", UNSET)
        resolution: Resolution | Unset
        if isinstance(_resolution, Unset):
            resolution = UNSET
        else:
            resolution = Resolution(_resolution)

        seeds = d.pop("seeds", UNSET)

        call_back_url = d.pop("callBackUrl", UNSET)

        enable_fallback = d.pop("enableFallback", UNSET)

        enable_translation = d.pop("enableTranslation", UNSET)

        watermark = d.pop("watermark", UNSET)

        generate_request = cls(
            prompt=prompt,
            image_urls=image_urls,
            model=model,
            generation_type=generation_type,
            aspect_ratio=aspect_ratio,
            resolution=resolution,
            seeds=seeds,
            call_back_url=call_back_url,
            enable_fallback=enable_fallback,
            enable_translation=enable_translation,
            watermark=watermark,
        )

        return generate_request
