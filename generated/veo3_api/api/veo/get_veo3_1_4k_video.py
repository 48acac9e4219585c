from typing import Any, TypedDict

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_4k_request import Get4KRequest
from ...models.video_4k_response import Video4KResponse
from ...types import Response, status_from_int


class Options(TypedDict, total=False):
    """Optional request fields of ``get_veo3_1_4k_video`` as Python keywords (generated from the spec)."""

    index: int | None
    """Which of the task's videos (0-based). The 4K docs state a default of 0; the 1080p docs state none, so the same default is assumed."""
    call_back_url: str | None
    """An absolute http(s) URL with a host. The docs type these as plain strings or `uri`; the pattern makes malformed URLs fail validation before the request is sent."""


def _get_kwargs(
    *,
    body: Get4KRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/veo/get-4k-video",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Video4KResponse:
    if response.status_code == 200:
        response_200 = Video4KResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | Video4KResponse]:
    return Response(
        status_code=status_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Get4KRequest,
) -> Response[ErrorResponse | Video4KResponse]:
    """Request the 4K version of a video

     Starts (first call) or reports (later calls) the 4K upgrade of a successful task. It costs extra
    credits and takes 5-10 minutes. First call: 200 with null lists. While processing: 422 `4k is
    processing. It should be ready in 5-10 minutes. Please check back shortly.`. When done: 422 `The
    video has been generated successfully` with the URLs in `data`. Poll at least 30 seconds apart, or
    use the callback. 422 answers use one of: `record is null.`, `Temporarily supports records within 14
    days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        body (Get4KRequest): Body of a 4K request. The 4K job is asynchronous: repeat the call (or
            wait for the callback) to get the URLs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Video4KResponse]
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
    body: Get4KRequest,
) -> ErrorResponse | Video4KResponse | None:
    """Request the 4K version of a video

     Starts (first call) or reports (later calls) the 4K upgrade of a successful task. It costs extra
    credits and takes 5-10 minutes. First call: 200 with null lists. While processing: 422 `4k is
    processing. It should be ready in 5-10 minutes. Please check back shortly.`. When done: 422 `The
    video has been generated successfully` with the URLs in `data`. Poll at least 30 seconds apart, or
    use the callback. 422 answers use one of: `record is null.`, `Temporarily supports records within 14
    days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        body (Get4KRequest): Body of a 4K request. The 4K job is asynchronous: repeat the call (or
            wait for the callback) to get the URLs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Video4KResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Get4KRequest,
) -> Response[ErrorResponse | Video4KResponse]:
    """Request the 4K version of a video

     Starts (first call) or reports (later calls) the 4K upgrade of a successful task. It costs extra
    credits and takes 5-10 minutes. First call: 200 with null lists. While processing: 422 `4k is
    processing. It should be ready in 5-10 minutes. Please check back shortly.`. When done: 422 `The
    video has been generated successfully` with the URLs in `data`. Poll at least 30 seconds apart, or
    use the callback. 422 answers use one of: `record is null.`, `Temporarily supports records within 14
    days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        body (Get4KRequest): Body of a 4K request. The 4K job is asynchronous: repeat the call (or
            wait for the callback) to get the URLs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Video4KResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Get4KRequest,
) -> ErrorResponse | Video4KResponse | None:
    """Request the 4K version of a video

     Starts (first call) or reports (later calls) the 4K upgrade of a successful task. It costs extra
    credits and takes 5-10 minutes. First call: 200 with null lists. While processing: 422 `4k is
    processing. It should be ready in 5-10 minutes. Please check back shortly.`. When done: 422 `The
    video has been generated successfully` with the URLs in `data`. Poll at least 30 seconds apart, or
    use the callback. 422 answers use one of: `record is null.`, `Temporarily supports records within 14
    days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        body (Get4KRequest): Body of a 4K request. The 4K job is asynchronous: repeat the call (or
            wait for the callback) to get the URLs.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Video4KResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
