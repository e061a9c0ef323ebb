const label = "😀 数据";
function show() {
  console.log(label + x);
}
show();
