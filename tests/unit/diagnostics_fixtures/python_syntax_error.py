def greet(name):
    if name:
        message = "😀 数据 " + (name +)
        return message
