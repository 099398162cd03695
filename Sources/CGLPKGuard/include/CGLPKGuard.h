#ifndef CGLPKGUARD_H
#define CGLPKGUARD_H
#include <glpk.h>
#endif
