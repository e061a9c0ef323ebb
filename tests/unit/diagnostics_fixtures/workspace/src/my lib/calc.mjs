export function mean(values) {
  if (values.length === 0) {
    throw new TypeError(`mean of an empty list (数据: ${values.length})`);
  }
  return values.reduce((a, b) => a + b) / values.length;
}
