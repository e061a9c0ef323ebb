def inner(x):
    return 1 / x


def gather():
    errors = []
    for value in (0, "a"):
        try:
            inner(value)
        except Exception as error:
            errors.append(error)
    raise ExceptionGroup("two failures", errors)


gather()
