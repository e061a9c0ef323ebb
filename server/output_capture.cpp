#include "server/output_capture.h"

namespace airlock::server {

void OutputCapture::append(std::string_view text) {
  if (head_.size() < head_limit_) {
    std::size_t take = std::min(text.size(), head_limit_ - head_.size());
    head_.append(text.substr(0, take));
    text.remove_prefix(take);
  }
  if (text.empty()) return;
  tail_.append(text);
  if (tail_.size() > 2 * tail_limit_) {
    tail_.erase(0, tail_.size() - tail_limit_);
    elided_ = true;
  }
}

std::string OutputCapture::text() const {
  std::string_view tail = tail_;
  bool elided = elided_;
  if (tail.size() > tail_limit_) {
    tail.remove_prefix(tail.size() - tail_limit_);
    elided = true;
  }
  if (!elided) return head_ + std::string(tail);
  // Start the tail on a line boundary so a parser never sees half a line.
  if (auto newline = tail.find('\n'); newline != std::string_view::npos) tail.remove_prefix(newline + 1);
  return head_ + "\n[... output elided ...]\n" + std::string(tail);
}

}  // namespace airlock::server
