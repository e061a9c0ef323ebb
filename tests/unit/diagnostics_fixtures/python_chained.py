import json


def load(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not a config: {text!r}") from error


def settings():
    try:
        return load("{oops")["theme"]
    except ValueError:
        return {}["fallback"]


settings()
