# Sources and tests of the IPR rules (owned by the IPR module).
set(TL_TRADE_IPR_SOURCES ipr_handlers.cc)
set(TL_TRADE_IPR_TESTS)
