import json


def parse_settings(text):
    return json.loads(text)
