const reason = "plain string";
throw reason;
