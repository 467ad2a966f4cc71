// A school's name is shown as the school wrote it. When it already says it is a (driving) school
// ("Автошкола «Жол»", "«Жол» автомектебі", "Drive School"), no screen wraps it in "автошкола «…»"
// or prefixes "Автошкола:" again (issue 17: "автошкола «Автошкола «Жол»»").

/** Whether the name already says it is a school. */
export const namesItself = (schoolName: string): boolean => /автошкол|мектеп|мектеб|school/i.test(schoolName);
