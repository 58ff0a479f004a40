# Sources and tests of the preference-claim rules (owned by the origin module).
set(TL_TRADE_ORIGIN_SOURCES origin_handlers.cc)
set(TL_TRADE_ORIGIN_TESTS)
