const label = "😀 数据"; let x = ;
