#include <string>
#include <vector>

template <typename T>
T twice(T x) { return x * 2; }

int main() {
  std::string label = "数据";
  auto doubled = twice(label);
  std::vector<int> values;
  values.push_back("😀");
}
