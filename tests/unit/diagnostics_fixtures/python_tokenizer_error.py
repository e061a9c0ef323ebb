def greet(name):
    if name:
        message = "😀 数据 " + (name + 1]
        return message
