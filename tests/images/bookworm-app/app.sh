#!/bin/bash
echo "svc running as $(id -un)"
