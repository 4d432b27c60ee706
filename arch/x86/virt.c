/* Chooses the virtualization backend from the CPU's features. */
#include "arch/x86/virt.h"
#include "arch/x86/cpufeatures.h"
#include "hv/errno.h"
#include "hv/log.h"

const struct virt_ops *virt;

int virt_init_bsp(void)
{
	int err;

	if (cpu_features.virt == VIRT_VMX)
		virt = &vmx_ops;
	else if (cpu_features.virt == VIRT_SVM)
		virt = &svm_ops;
	else {
		pr_warn("virt: neither VMX nor SVM is usable; guests cannot run\n");
		return -ENODEV;
	}
	err = virt->cpu_enable();
	if (err) {
		pr_err("virt: enabling %s on the boot CPU failed (%d)\n", virt->name, err);
		virt = NULL;
		return err;
	}
	pr_info("virt: %s enabled\n", virt->name);
	return 0;
}

int virt_init_ap(void)
{
	if (!virt)
		return -ENODEV;
	return virt->cpu_enable();
}
