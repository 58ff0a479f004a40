# Sources and tests of the preference-claim rules (owned by the origin module).
set(TL_TRADE_ORIGIN_SOURCES origin_handlers.cc origin_common.cc origin_reasons.cc
                            entry_number.cc certification_rules.cc certification.cc
                            claim_rules.cc claim_transitions.cc entry.cc verification_case.cc
                            origin_views.cc)
set(TL_TRADE_ORIGIN_TESTS entry_number_test.cc certification_test.cc entry_test.cc
                          claim_transitions_test.cc verification_case_test.cc
                          origin_views_test.cc origin_stories_test.cc
                          origin_robustness_test.cc document_purge_test.cc)
