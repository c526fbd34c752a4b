#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets from the project's own fixtures:
the signed webhook vectors, the protocol examples in docs/protocol.md, the
API Gateway event bodies, and the local channels document."""
import glob
import hashlib
import json
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "fuzz", "corpus")


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


webhook_target = {
    "whatsapp": "webhook_whatsapp",
    "messenger": "webhook_meta",
    "instagram": "webhook_meta",
    "vk": "webhook_vk",
}
for path in sorted(glob.glob(os.path.join(root, "tests", "fixtures", "channels", "*.json"))):
    vector = json.load(open(path))
    if vector["method"] != "POST":
        continue
    body = vector["body"]
    if vector["channel"] == "apple":
        # The target's first byte picks plain (0) or gzip of the rest (1).
        seed("webhook_apple", b"\x00" + body.encode())
        seed("webhook_apple", b"\x01" + body.encode())
    else:
        seed(webhook_target[vector["channel"]], body)

protocol = open(os.path.join(root, "docs", "protocol.md")).read()
for frame in re.findall(r'^\{"action".*\}$', protocol, re.M):
    seed("ws_frame", frame)
    seed("ws_dispatch", frame)
for path in glob.glob(os.path.join(root, "tests", "fixtures", "apigw", "*.json")):
    body = json.load(open(path)).get("body")
    if body:
        seed("ws_frame", body)
        seed("ws_dispatch", body)

seed("token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl")
seed("token", "a.b.c")

seed("channels_config", '{"accounts": []}')
seed(
    "channels_config",
    json.dumps(
        {
            "meta": {"appSecret": "a1b2c3d4e5f60718293a4b5c6d7e8f90", "verifyToken": "v"},
            "apple": {"mspId": "m", "secretBase64": "b21uaS10ZXN0LW1zcC1zZWNyZXQtMzItYnl0ZXMhISE="},
            "accounts": [
                {"channel": "whatsapp", "accountId": "1", "tenant": "demo", "accessToken": "t"},
                {"channel": "vk", "accountId": "2", "tenant": "demo", "accessToken": "t", "secret": "s"},
            ],
            "endpoints": {"graph": "https://graph.example", "apple": "https://apple.example"},
        }
    ),
)
print(f"seeds written to {out}")
