# Sources and tests of the IPR rules (owned by the IPR module).
set(TL_TRADE_IPR_SOURCES ipr_handlers.cc ipr_common.cc recordation.cc licence.cc licence_rules.cc
                         licence_handlers.cc ipr_assessment.cc ipr_views.cc)
set(TL_TRADE_IPR_TESTS recordation_test.cc licence_test.cc ipr_assessment_test.cc
                       ipr_stories_test.cc ipr_views_test.cc ipr_input_test.cc)
