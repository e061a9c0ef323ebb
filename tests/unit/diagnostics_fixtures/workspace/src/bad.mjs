const greeting = "😀 数据";
export default greeting +;
