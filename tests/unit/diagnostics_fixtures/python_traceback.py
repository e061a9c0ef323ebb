def ratio(a, b):
    return a / b


def report(values):
    # The carets under these frames count code points: 😀 and 数据 are one each.
    label = "😀 数据"
    return label + ": " + str(ratio(sum(values), len(values) - 3))


print(report([1, 2, 3]))
