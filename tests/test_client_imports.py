"""What importing the client loads: an operation's generated module and models load on its first call.

Import time is measured in ``make bench`` (BENCHMARKS.md, start-up); these tests pin the mechanism behind it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

LOADED = (
    "import json, sys; print(json.dumps(sorted(m for m in sys.modules "
    "if m == 'asyncio' or m.startswith(('veo3_api.api.', 'veo3_api.models.')))))"
)


def _loaded_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\n{LOADED}"], capture_output=True, text=True, check=True).stdout
    return list(json.loads(out))


def test_importing_the_sync_client_loads_no_operation_module_no_request_model_and_not_asyncio() -> None:
    loaded = _loaded_after("from veo3 import Veo3Client")
    assert "asyncio" not in loaded
    assert not [m for m in loaded if m.startswith("veo3_api.api.")]
    # types.py reads the SuccessFlag enum (a task's status); no request or response model is loaded.
    assert [m for m in loaded if m.startswith("veo3_api.models.")] == ["veo3_api.models.success_flag"]


def test_a_call_loads_its_own_operation_module_and_no_other() -> None:
    code = """
import httpx
from veo3 import Veo3Client
reply = {"code": 200, "msg": "success", "data": {"taskId": "t1", "successFlag": 0}}
http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=reply)))
Veo3Client("sk-imports-0123", http_client=http).get_task("t1")
"""
    operations = [m for m in _loaded_after(code) if m.startswith("veo3_api.api.") and m.count(".") == 3]
    assert operations == ["veo3_api.api.veo.get_veo3_1_video_details"]


def test_the_models_package_still_offers_every_model_by_name() -> None:
    import veo3_api.models as models

    files = {p.stem for p in Path(models.__file__).parent.glob("*.py")} - {"__init__"}
    assert len(models.__all__) == len(files)
    for name in models.__all__:
        assert getattr(models, name).__name__ == name
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018
