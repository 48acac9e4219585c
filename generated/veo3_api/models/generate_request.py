from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.aspect_ratio import AspectRatio
from ..models.duration import Duration
from ..models.generate_model import GenerateModel
from ..models.generation_type import GenerationType
from ..models.resolution import Resolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateRequest")


@_attrs_define
class GenerateRequest:
    """Body of a generation request. Field spellings follow the Veo 3.1 docs (`aspect_ratio` in snake_case; the older
    `aspectRatio` spelling is not accepted). Unknown fields are refused rather than silently ignored, so a misspelt
    option fails before any credits are spent. kie's current page documents `REFERENCE_2_VIDEO` with `duration` 8 only;
    `if`/`then` below refuses any other duration in that mode before credits are spent. A field the spec does not know
    yet can still be sent with the client's `extra_body`.

        Attributes:
            prompt (str): Text prompt. Must contain at least one non-blank character. The docs state no maximum length, so
                none is enforced here.
            image_urls (list[str] | Unset): Reference or frame images. One image: the video unfolds around it; two: first
                and last frame; `REFERENCE_2_VIDEO` takes up to 3. The docs give no schema maximum; 3 is the largest count any
                mode accepts.
            model (GenerateModel | Unset): `veo3` = Veo 3.1 Quality, `veo3_fast` = Veo 3.1 Fast (default since the Veo 3.1
                docs), `veo3_lite` = Veo 3.1 Lite (newest docs only).
            generation_type (GenerationType | Unset): Generation mode. When omitted the service decides from whether
                `imageUrls` is present. `REFERENCE_2_VIDEO` takes 1-3 images and, per kie's current generate page
                (docs.kie.ai/veo3-api/generate-veo-3-video, every crawl from 2026-07-02 to 2026-08-19), the `veo3_fast` and
                `veo3_lite` models (older pages: `veo3_fast` only) and a `duration` of 8 only. Doc versions disagree on the
                aspect ratios it allows (16:9 only or both), so the spec does not encode the model or aspect-ratio restriction
                and leaves them to the server.
            aspect_ratio (AspectRatio | Unset): Output aspect ratio. `Auto` centre-crops to whichever of 16:9 or 9:16 the
                uploaded image is closer to.
            resolution (Resolution | Unset): Output resolution (newest docs only). The separate 1080p and 4K endpoints
                remain the documented way to upgrade an existing video.
            duration (Duration | Unset): Length of the generated video in seconds. New in kie's current generate page
                (docs.kie.ai/veo3-api/generate-veo-3-video, every crawl from 2026-07-02 to 2026-08-19): one of 4, 6, 8; default
                8. `REFERENCE_2_VIDEO` only supports 8 (a rule `GenerateRequest` states with `if`/`then`).
            seeds (int | Unset): Random seed, 10000-99999 inclusive. The same seed gives similar output; omit it to let the
                service choose.
            call_back_url (str | Unset): An absolute http(s) URL with a host. The docs type these as plain strings or `uri`;
                the pattern makes malformed URLs fail validation before the request is sent.
            enable_fallback (bool | Unset): Deprecated by kie; kept so old payloads validate. Default: False.
            enable_translation (bool | Unset): Translate the prompt to English before generation. The server's default is
                not stated here on purpose: kie's current page gives `default: false` in its schema and "Default value is true"
                in the same field's description (older pages: true). Send it explicitly when it matters; the client sends
                nothing when it is left out.
            watermark (str | Unset): Text watermark added to the video when set.
    """

    prompt: str
    image_urls: list[str] | Unset = UNSET
    model: GenerateModel | Unset = UNSET
    generation_type: GenerationType | Unset = UNSET
    aspect_ratio: AspectRatio | Unset = UNSET
    resolution: Resolution | Unset = UNSET
    duration: Duration | Unset = UNSET
    seeds: int | Unset = UNSET
    call_back_url: str | Unset = UNSET
    enable_fallback: bool | Unset = False
    enable_translation: bool | Unset = UNSET
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

        duration: int | Unset = UNSET
        if not isinstance(self.duration, Unset):
            duration = self.duration.value

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
        if duration is not UNSET:
            field_dict["duration"] = duration
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

        _duration = d.pop("duration", UNSET)
        duration: Duration | Unset
        if isinstance(_duration, Unset):
            duration = UNSET
        else:
            duration = Duration(_duration)

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
            duration=duration,
            seeds=seeds,
            call_back_url=call_back_url,
            enable_fallback=enable_fallback,
            enable_translation=enable_translation,
            watermark=watermark,
        )

        return generate_request
