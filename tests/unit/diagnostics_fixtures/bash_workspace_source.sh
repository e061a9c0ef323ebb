source /home/user/project/lib/helpers.sh
greet "数据"
