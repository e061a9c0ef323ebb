#pragma once

// Every typed wire message. Decoding (from_json) validates every field and throws ParamsError naming the field;
// unknown extra fields are ignored so newer clients keep working.

#include "protocol/diagnostic_messages.h"
#include "protocol/execute_messages.h"
#include "protocol/lifecycle_messages.h"
#include "protocol/methods.h"
#include "protocol/overlay_messages.h"
#include "protocol/params_error.h"
#include "protocol/run_messages.h"
#include "protocol/window_messages.h"
