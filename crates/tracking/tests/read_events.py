"""Reads TensorBoard event files with the real `tensorboard` package and prints what it sees.

Usage: python read_events.py LOGDIR

LOGDIR holds one sub-directory per run (like `runs/<experiment>/`). Prints one JSON object:

  {"tensorboard": version,
   "runs": {run: {"scalars": {tag: [[step, value or null for NaN], ...]},
                  "text":    {tag: [[step, text, html], ...]},
                  "images":  {tag: [[step, width, height, mode, [pixel bytes...]], ...]},
                  "hparams": {"experiment": ..., "session_start": ..., "session_end": ...}}},
   "session_groups": [...]}   # what the HPARAMS tab's table is built from

Everything goes through TensorBoard's own readers: EventAccumulator (keeping every event), the
text plugin's markdown renderer, Pillow for the PNGs, the hparams plugin's metadata parsing and
its ListSessionGroups handler over a multiplexer data provider, as `tensorboard --logdir` does.
Written against tensorboard==2.21.0 (scripts/requirements.txt).
"""

import json
import math
import os
import sys
import io

import tensorboard
from google.protobuf import json_format
from PIL import Image
from tensorboard import context
from tensorboard.backend.event_processing import data_provider
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.plugins import base_plugin
from tensorboard.plugins.hparams import api_pb2, backend_context, list_session_groups, metadata
from tensorboard.plugins.text import text_plugin
from tensorboard.util import tensor_util


def num(x):
    """JSON has no NaN: a NaN scalar is printed as null."""
    return None if math.isnan(x) else x


def msg(m):
    # Default values (a metric of 0.0, a status of 0) are printed too, not left out.
    return json_format.MessageToDict(
        m, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def plugin_tags(acc, plugin):
    """{tag: plugin content} of one plugin; empty when the run has none of its summaries."""
    try:
        return acc.PluginTagToContent(plugin)
    except KeyError:
        return {}


def read_run(path):
    acc = ea.EventAccumulator(path, size_guidance=ea.STORE_EVERYTHING_SIZE_GUIDANCE)
    acc.Reload()
    tags = acc.Tags()
    out = {"file_version": acc.file_version, "scalars": {}, "text": {}, "images": {}, "hparams": {}}
    for tag in tags["scalars"]:
        out["scalars"][tag] = [[e.step, num(e.value)] for e in acc.Scalars(tag)]
    for tag in plugin_tags(acc, "text"):
        rows = []
        for e in acc.Tensors(tag):
            arr = tensor_util.make_ndarray(e.tensor_proto)
            text = arr.item().decode("utf-8")
            rows.append([e.step, text, text_plugin.text_array_to_html(arr, enable_markdown=True)])
        out["text"][tag] = rows
    for tag in tags["images"]:
        rows = []
        for e in acc.Images(tag):
            img = Image.open(io.BytesIO(e.encoded_image_string))
            rows.append([e.step, e.width, e.height, img.mode, list(img.tobytes())])
        out["images"][tag] = rows
    parse = {
        metadata.EXPERIMENT_TAG: ("experiment", metadata.parse_experiment_plugin_data),
        metadata.SESSION_START_INFO_TAG: ("session_start", metadata.parse_session_start_info_plugin_data),
        metadata.SESSION_END_INFO_TAG: ("session_end", metadata.parse_session_end_info_plugin_data),
    }
    for tag, data in plugin_tags(acc, "hparams").items():
        name, parser = parse[tag]
        out["hparams"][name] = msg(parser(data))
    return out


def session_groups(logdir):
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(logdir)
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, logdir)
    tb_context = base_plugin.TBContext(logdir=logdir, multiplexer=multiplexer, data_provider=provider)
    request = api_pb2.ListSessionGroupsRequest(
        start_index=0, slice_size=100, include_metrics=True,
        allowed_statuses=[api_pb2.STATUS_UNKNOWN, api_pb2.STATUS_SUCCESS,
                          api_pb2.STATUS_FAILURE, api_pb2.STATUS_RUNNING],
    )
    response = list_session_groups.Handler(
        context.RequestContext(), backend_context.Context(tb_context), "", request
    ).run()
    return msg(response).get("session_groups", [])


def main():
    logdir = sys.argv[1]
    runs = {}
    for name in sorted(os.listdir(logdir)):
        path = os.path.join(logdir, name)
        if os.path.isdir(path):
            runs[name] = read_run(path)
    print(json.dumps({
        "tensorboard": tensorboard.__version__,
        "runs": runs,
        "session_groups": session_groups(logdir),
    }, allow_nan=False))


if __name__ == "__main__":
    main()
