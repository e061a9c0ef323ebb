import warnings


def old_api():
    warnings.warn("old_api() is deprecated; use new_api()", UserWarning, stacklevel=2)


old_api()
print("done")
