
BBJ!+@Bq?Pb½y«>