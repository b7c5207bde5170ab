// An empty translation unit: the link checks of CMakeLists.txt link a folder library into a
// shared object of their own and need a source to build it from.
