#pragma once

// Signals: how the server learns it should stop, and how a program's end by a signal is named.

#include <string>

#include <boost/asio/signal_set.hpp>

namespace airlock::server::platform {

// A client or program that goes away must show up as an error on write, not kill the server.
void ignore_broken_pipe_signal();
// The signals that ask the server to stop every run and exit.
void add_termination_signals(boost::asio::signal_set& signals);
// "SIGKILL" for a program ended by signal 9.
std::string signal_name(int signal);

}  // namespace airlock::server::platform
