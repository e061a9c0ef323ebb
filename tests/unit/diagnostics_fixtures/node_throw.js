function ratio(a, b) {
  if (b === 0) throw new RangeError("division by zero");
  return a / b;
}

const label = "😀 数据"; console.log(label, ratio(1, 0));
