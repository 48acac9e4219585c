from typing import Any, Literal, TypedDict

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.extend_request import ExtendRequest
from ...models.extend_response import ExtendResponse
from ...types import Response, status_from_int


class Options(TypedDict, total=False):
    """Optional request fields of ``extend_veo3_1_video`` as Python keywords (generated from the spec)."""

    seeds: int | None
    """Random seed, 10000-99999 inclusive. The same seed gives similar output; omit it to let the service choose."""
    watermark: str | None
    """Text watermark added to the video when set."""
    call_back_url: str | None
    """An absolute http(s) URL with a host. The docs type these as plain strings or `uri`; the pattern makes malformed URLs fail validation before the request is sent."""
    model: Literal["fast", "quality", "lite"] | None
    """Model for an extension. Note the names differ from generate's (`fast`, not `veo3_fast`); `lite` appears in the newest docs only."""


def _get_kwargs(
    *,
    body: ExtendRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/veo/extend",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ExtendResponse:
    if response.status_code == 200:
        response_200 = ExtendResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | ExtendResponse]:
    return Response(
        status_code=status_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> Response[ErrorResponse | ExtendResponse]:
    """Extend a Veo 3.1 video

     Creates an extension task that continues an existing, successful Veo 3.1 video following a new
    prompt. Poll record-info with the returned `taskId`; the whole video is then in
    `response.fullResultUrls`. Videos that went through 1080p generation cannot be extended.

    Args:
        body (ExtendRequest): Body of an extension request: continue an existing, successful Veo
            3.1 video with a new prompt. A video that went through 1080p generation cannot be
            extended.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExtendResponse]
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
    body: ExtendRequest,
) -> ErrorResponse | ExtendResponse | None:
    """Extend a Veo 3.1 video

     Creates an extension task that continues an existing, successful Veo 3.1 video following a new
    prompt. Poll record-info with the returned `taskId`; the whole video is then in
    `response.fullResultUrls`. Videos that went through 1080p generation cannot be extended.

    Args:
        body (ExtendRequest): Body of an extension request: continue an existing, successful Veo
            3.1 video with a new prompt. A video that went through 1080p generation cannot be
            extended.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExtendResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> Response[ErrorResponse | ExtendResponse]:
    """Extend a Veo 3.1 video

     Creates an extension task that continues an existing, successful Veo 3.1 video following a new
    prompt. Poll record-info with the returned `taskId`; the whole video is then in
    `response.fullResultUrls`. Videos that went through 1080p generation cannot be extended.

    Args:
        body (ExtendRequest): Body of an extension request: continue an existing, successful Veo
            3.1 video with a new prompt. A video that went through 1080p generation cannot be
            extended.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExtendResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> ErrorResponse | ExtendResponse | None:
    """Extend a Veo 3.1 video

     Creates an extension task that continues an existing, successful Veo 3.1 video following a new
    prompt. Poll record-info with the returned `taskId`; the whole video is then in
    `response.fullResultUrls`. Videos that went through 1080p generation cannot be extended.

    Args:
        body (ExtendRequest): Body of an extension request: continue an existing, successful Veo
            3.1 video with a new prompt. A video that went through 1080p generation cannot be
            extended.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExtendResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
