from collections.abc import Sequence
from typing import Any, Literal, TypedDict

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.generate_request import GenerateRequest
from ...models.generate_response import GenerateResponse
from ...types import Response, status_from_int


class Options(TypedDict, total=False):
    """Optional request fields of ``generate_veo3_1_video`` as Python keywords (generated from the spec)."""

    image_urls: Sequence[str] | None
    """Reference or frame images. One image: the video unfolds around it; two: first and last frame; `REFERENCE_2_VIDEO` takes up to 3. The docs give no schema maximum; 3 is the largest count any mode accepts."""
    model: Literal["veo3", "veo3_fast", "veo3_lite"] | None
    """`veo3` = Veo 3.1 Quality, `veo3_fast` = Veo 3.1 Fast (default since the Veo 3.1 docs), `veo3_lite` = Veo 3.1 Lite (newest docs only)."""
    generation_type: Literal["TEXT_2_VIDEO", "FIRST_AND_LAST_FRAMES_2_VIDEO", "REFERENCE_2_VIDEO"] | None
    """Generation mode. When omitted the service decides from whether `imageUrls` is present. `REFERENCE_2_VIDEO` takes 1-3 images and, per kie's current generate page (docs.kie.ai/veo3-api/generate-veo-3-video, every crawl from 2026-07-02 to 2026-08-19), the `veo3_fast` and `veo3_lite` models (older pages: `veo3_fast` only) and a `duration` of 8 only. Doc versions disagree on the aspect ratios it allows (16:9 only or both), so the spec does not encode the model or aspect-ratio restriction and leaves them to the server."""
    aspect_ratio: Literal["16:9", "9:16", "Auto"] | None
    """Output aspect ratio. `Auto` centre-crops to whichever of 16:9 or 9:16 the uploaded image is closer to."""
    resolution: Literal["720p", "1080p", "4k"] | None
    """Output resolution (newest docs only). The separate 1080p and 4K endpoints remain the documented way to upgrade an existing video."""
    duration: Literal[4, 6, 8] | None
    """Length of the generated video in seconds. New in kie's current generate page (docs.kie.ai/veo3-api/generate-veo-3-video, every crawl from 2026-07-02 to 2026-08-19): one of 4, 6, 8; default 8. `REFERENCE_2_VIDEO` only supports 8 (a rule `GenerateRequest` states with `if`/`then`)."""
    seeds: int | None
    """Random seed, 10000-99999 inclusive. The same seed gives similar output; omit it to let the service choose."""
    call_back_url: str | None
    """An absolute http(s) URL with a host. The docs type these as plain strings or `uri`; the pattern makes malformed URLs fail validation before the request is sent."""
    enable_fallback: bool | None
    """Deprecated by kie; kept so old payloads validate."""
    enable_translation: bool | None
    """Translate the prompt to English before generation. The server's default is not stated here on purpose: kie's current page gives `default: false` in its schema and "Default value is true" in the same field's description (older pages: true). Send it explicitly when it matters; the client sends nothing when it is left out."""
    watermark: str | None
    """Text watermark added to the video when set."""


def _get_kwargs(
    *,
    body: GenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/veo/generate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GenerateResponse:
    if response.status_code == 200:
        response_200 = GenerateResponse.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    response_default = ErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | GenerateResponse]:
    return Response(
        status_code=status_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Response[ErrorResponse | GenerateResponse]:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent. kie's current page documents `REFERENCE_2_VIDEO` with `duration` 8
            only; `if`/`then` below refuses any other duration in that mode before credits are spent.
            A field the spec does not know yet can still be sent with the client's `extra_body`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GenerateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> ErrorResponse | GenerateResponse | None:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent. kie's current page documents `REFERENCE_2_VIDEO` with `duration` 8
            only; `if`/`then` below refuses any other duration in that mode before credits are spent.
            A field the spec does not know yet can still be sent with the client's `extra_body`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GenerateResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Response[ErrorResponse | GenerateResponse]:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent. kie's current page documents `REFERENCE_2_VIDEO` with `duration` 8
            only; `if`/`then` below refuses any other duration in that mode before credits are spent.
            A field the spec does not know yet can still be sent with the client's `extra_body`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GenerateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> ErrorResponse | GenerateResponse | None:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent. kie's current page documents `REFERENCE_2_VIDEO` with `duration` 8
            only; `if`/`then` below refuses any other duration in that mode before credits are spent.
            A field the spec does not know yet can still be sent with the client's `extra_body`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GenerateResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
